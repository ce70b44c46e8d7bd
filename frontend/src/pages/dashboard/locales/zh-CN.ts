export default {
  menu: { dashboard: '经营概况' },
  title: '经营概况',
  subtitle: '{{date}} · {{scope}}',
  allStores: '全部门店',
  figures: {
    sales: '今日销售额',
    orders: '今日订单数',
    averageTicket: '客单价',
    membersAdded: '今日新增会员',
    lowStock: '低库存商品',
    nearExpiry: '临期商品',
  },
  versus: {
    change: '较上周同日 {{percent}}%（{{delta}}）',
    noBase: '上周同日无销售（{{delta}}）',
  },
  charts: {
    sales: '销售额',
    lastWeek: '上周同日',
    orders: '订单数',
    qty: '销量',
    byHour: '今日分时销售',
    byStore: '各门店今日销售',
    topProducts: '今日热销商品 Top 10',
    noSales: '今天还没有销售',
    salesLink: '查看销售流水',
  },
};
