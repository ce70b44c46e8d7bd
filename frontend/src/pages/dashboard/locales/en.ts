export default {
  menu: { dashboard: 'Dashboard' },
  title: 'Dashboard',
  subtitle: '{{date}} · {{scope}}',
  allStores: 'All stores',
  figures: {
    sales: "Today's takings",
    orders: "Today's orders",
    averageTicket: 'Average ticket',
    membersAdded: 'New members today',
    lowStock: 'Low-stock items',
    nearExpiry: 'Near-expiry items',
  },
  versus: {
    change: '{{percent}}% vs same day last week ({{delta}})',
    noBase: 'No sales on the same day last week ({{delta}})',
  },
  charts: {
    sales: 'Takings',
    lastWeek: 'Same day last week',
    orders: 'Orders',
    qty: 'Quantity',
    byHour: "Today's takings by hour",
    byStore: "Today's takings by store",
    topProducts: "Today's top 10 products",
    noSales: 'No sales yet today',
    salesLink: 'Sales history',
  },
};
