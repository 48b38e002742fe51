// Links to files the browser host serves for download.

/** The browser host serves finished exports under /download, with the page's token. */
export function downloadUrl(path: string): string {
  const token = new URLSearchParams(location.search).get('token');
  return token ? `${path}?token=${encodeURIComponent(token)}` : path;
}
