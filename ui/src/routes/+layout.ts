// A desktop SPA: no server rendering; adapter-static writes one fallback index.html.
export const ssr = false;
export const prerender = false;
