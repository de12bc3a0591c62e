import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useAction } from "./useAction";

describe("useAction", () => {
  it("is busy while the action runs and reports success", async () => {
    const { result } = renderHook(() => useAction());
    let finish = () => {};
    let outcome: Promise<boolean> = Promise.resolve(false);
    act(() => {
      outcome = result.current.run(() => new Promise<void>((resolve) => (finish = resolve)));
    });
    expect(result.current.busy).toBe(true);

    await act(async () => finish());
    expect(await outcome).toBe(true);
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("keeps what the action threw, and clears it when the next one starts", async () => {
    const { result } = renderHook(() => useAction());
    const problem = new Error("refused");

    let ok = true;
    await act(async () => {
      ok = await result.current.run(() => Promise.reject(problem));
    });
    expect(ok).toBe(false);
    expect(result.current.error).toBe(problem);
    expect(result.current.busy).toBe(false);

    await act(async () => {
      ok = await result.current.run(async () => {});
    });
    expect(ok).toBe(true);
    expect(result.current.error).toBeNull();
  });
});
