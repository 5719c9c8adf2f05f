// Unit tests import formulas and src/peft directly (not through src/index.ts, which installs RE2 for
// library users), so install the linear-time engine here, as the library entry does.
import { RE2JS } from "re2js";
import { installRegexEngine } from "../src/peft/regex.js";

installRegexEngine(RE2JS);
