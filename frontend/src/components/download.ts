import { networkError, toApiError } from '../api/problem';

// Exports (CSV, XLSX, JSON attachments) come from authenticated GETs, so a
// plain link cannot fetch them: the page asks through the typed client with
// `parseAs: 'blob'` and hands the answer to saveDownload, which names the
// file from Content-Disposition and lets the browser save it.

interface BlobAnswer {
  data?: Blob;
  error?: unknown;
  response: Response;
}

/** filenameFrom reads `attachment; filename="x.csv"` (or RFC 5987 filename*=UTF-8''…). */
export function filenameFrom(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim();
}

/** saveDownload awaits a blob call and saves it (throws ApiError when refused); returns the file name. */
export async function saveDownload(call: Promise<BlobAnswer>, fallbackName: string): Promise<string> {
  let answer: BlobAnswer;
  try {
    answer = await call;
  } catch (e) {
    throw networkError(e);
  }
  if (!answer.response.ok || !answer.data) throw toApiError(answer.response, answer.error);
  const name = filenameFrom(answer.response.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(answer.data);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
