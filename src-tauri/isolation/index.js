// The isolation pattern's hook: every IPC message from the UI passes through here, in a sandboxed
// frame the UI cannot reach, before Tauri encrypts it for the core. The UI only sends intents
// (ids and plain values); anything that is not a plain object is refused.
window.__TAURI_ISOLATION_HOOK__ = (payload) => {
  if (payload === null || typeof payload !== "object") {
    throw new Error("Wheelhouse: refused an IPC message that is not an object");
  }
  return payload;
};
