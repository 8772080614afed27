/**
 * Gives the event loop a turn: resolves in a later macrotask, so timers, I/O
 * callbacks and other requests queued on the same isolate run first. (An
 * awaited resolved promise is only a microtask and lets nothing else in.)
 * Node has setImmediate; workerd and browsers get a zero-delay timer.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") {
      setImmediate(resolve);
    } else {
      setTimeout(resolve, 0);
    }
  });
}
