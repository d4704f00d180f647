// appendAll: what `push(...items)` does, for any number of items.
import fc from "fast-check";
import { appendAll } from "../../compiler/base/arrays.js";

test("a million items append where push(...items) throws", () => {
  const items = Array.from({ length: 1_000_000 }, (_, i) => i);
  expect(() => [].push(...(items as never[]))).toThrow(RangeError);
  const target = [-1];
  expect(appendAll(target, items)).toBe(target);
  expect(target.length).toBe(1_000_001);
  expect(target[0]).toBe(-1);
  expect(target[1_000_000]).toBe(999_999);
});

test("the same array as push(...items), holes and undefined included", () => {
  fc.assert(
    fc.property(fc.array(fc.anything()), fc.array(fc.anything()), (a, b) => {
      const viaPush = [...a];
      viaPush.push(...b);
      expect(appendAll([...a], b)).toEqual(viaPush);
    }),
  );
});
