import { describe, expect, it, vi } from "vitest";
import { initialChatState } from "./chat-state";
import { createChatStore } from "./chat-store";

describe("createChatStore", () => {
  it("applies the reducer at once and tells subscribers", () => {
    const store = createChatStore();
    const listener = vi.fn(() => expect(store.getState().sessionId).toBe("s1"));
    store.subscribe(listener);
    store.dispatch({ type: "open", sessionId: "s1" });
    expect(store.getState()).toMatchObject({ sessionId: "s1", turns: [] });
    expect(listener).toHaveBeenCalledOnce();
  });

  it("stays silent when an action changes nothing, and after unsubscribe", () => {
    const store = createChatStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.dispatch({ type: "turn_delta", clientMessageId: "nobody", text: "ignored: no such turn" });
    store.dispatch({ type: "open", sessionId: null });
    expect(store.getState()).toBe(initialChatState);
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
    store.dispatch({ type: "open", sessionId: "s1" });
    expect(listener).not.toHaveBeenCalled();
  });
});
