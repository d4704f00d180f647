import { parseDocument } from "yaml";
test("yaml parses", () => { expect(parseDocument("a: 1").toJS()).toEqual({ a: 1 }); });
