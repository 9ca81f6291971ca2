import { describe, expect, it, vi } from "vitest";
import { initialChatState } from "./chat-state";
import { createChatStore } from "./chat-store";

describe("createChatStore", () => {
  it("applies the reducer at once and tells subscribers", () => {
    const store = createChatStore();
    const listener = vi.fn(() => expect(store.getState().phase).toBe("loading"));
    store.subscribe(listener);
    store.dispatch({ type: "load_start", sessionId: "s1" });
    expect(store.getState()).toMatchObject({ sessionId: "s1", phase: "loading" });
    expect(listener).toHaveBeenCalledOnce();
  });

  it("stays silent when an action changes nothing, and after unsubscribe", () => {
    const store = createChatStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.dispatch({ type: "title", title: "ignored: no session yet" });
    expect(store.getState()).toBe(initialChatState);
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
    store.dispatch({ type: "load_start", sessionId: "s1" });
    expect(listener).not.toHaveBeenCalled();
  });
});
