/**
 * The one home of a chat's state: the pure reducer (chat-state.ts) behind a
 * tiny store. The I/O code reads `getState()` and React renders the same value
 * through `useSyncExternalStore`, so there is no second copy to keep in step:
 * after `dispatch` returns, every reader sees the new state. No React, no I/O.
 */
import { chatReducer, initialChatState, type ChatAction, type ChatState } from "./chat-state";

export interface ChatStore {
  getState: () => ChatState;
  dispatch: (action: ChatAction) => void;
  /** Called after each change of state; returns the unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
}

export function createChatStore(initial: ChatState = initialChatState): ChatStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch: (action) => {
      const next = chatReducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
