import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PolicyInfo } from "../../../cli/analyzer";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../../cli/analyzer/policyConfig";

/** A pack as the engine sees it: two policies with schemas and defaults, one without config. */
const info = {
    name: "pack",
    policies: [
        {
            name: "table-pitr",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: {
                    productionTagValues: { type: "array", items: { type: "string" }, default: ["prod"] },
                    days: { type: "integer", minimum: 1, maximum: 35, default: 35 },
                },
                required: [],
            },
        },
        {
            name: "table-key",
            enforcementLevel: "advisory",
            configSchema: { properties: { strict: { type: "boolean", default: false } }, required: [] },
        },
        { name: "no-config", enforcementLevel: "mandatory" },
    ] as PolicyInfo[],
};

const fails = (config: Record<string, unknown>, expected: RegExp) =>
    assert.throws(() => resolvePolicyConfig(info, config), expected);

describe("policy config, read as the engine reads it (pkg/resource/analyzer/config.go)", () => {
    it("fills every policy with its declared level and its schema's defaults", () => {
        assert.deepEqual(resolvePolicyConfig(info, undefined), {
            "table-pitr": { enforcementLevel: "mandatory", productionTagValues: ["prod"], days: 35 },
            "table-key": { enforcementLevel: "advisory", strict: false },
            "no-config": { enforcementLevel: "mandatory" },
        });
    });

    it('applies "all" to every policy, then each policy\'s own entry over it', () => {
        const config = resolvePolicyConfig(info, { all: "advisory", "table-key": "mandatory" });
        assert.equal(config["table-pitr"].enforcementLevel, "advisory");
        assert.equal(config["no-config"].enforcementLevel, "advisory");
        assert.equal(config["table-key"].enforcementLevel, "mandatory");
    });

    it('applies "all" first wherever it is written in the file', () => {
        const config = resolvePolicyConfig(info, { "table-key": "mandatory", all: "disabled" });
        assert.equal(config["table-key"].enforcementLevel, "mandatory");
        assert.equal(config["table-pitr"].enforcementLevel, "disabled");
    });

    it("takes the object form: a level and settings over the defaults; settings alone keep the level", () => {
        const config = resolvePolicyConfig(info, {
            "table-pitr": { enforcementLevel: "remediate", days: 14 },
            "table-key": { strict: true },
        });
        assert.deepEqual(config["table-pitr"], {
            enforcementLevel: "remediate",
            productionTagValues: ["prod"],
            days: 14,
        });
        assert.deepEqual(config["table-key"], { enforcementLevel: "advisory", strict: true });
    });

    it("rejects a level that is not one, in either form, naming the closest", () => {
        fails(
            { "table-pitr": "mandatroy" },
            /"table-pitr" is "mandatroy", not an enforcement level; use one of "advisory", "mandatory", "remediate", "disabled" \(did you mean "mandatory"\?\)/,
        );
        fails(
            { "table-pitr": { enforcementLevel: "off" } },
            /"table-pitr".enforcementLevel is "off", not an enforcement level/,
        );
        fails({ all: "mandatroy" }, /"all" is "mandatroy"/);
    });

    it("rejects an entry that is neither a level nor an object", () => {
        fails({ "table-pitr": 3 }, /"table-pitr" is 3; it must be an enforcement level .* or an object/);
    });

    it("validates settings against the policy's configSchema, naming policy, setting and what is allowed", () => {
        fails(
            { "table-pitr": { productionTagValues: "prod" } },
            /"table-pitr".productionTagValues is "prod"; it must be an array of strings, not a string/,
        );
        fails({ "table-pitr": { days: 40 } }, /"table-pitr".days is 40; it must be from 1 to 35/);
        fails({ "table-pitr": { days: 1.5 } }, /it must be an integer, not a number/);
        fails(
            { "table-pitr": { productionTagValues: ["prod", 1] } },
            /it must be a string, not a number \(at \[1\]\)/,
        );
    });

    it("names the closest policy for a name that matches none", () => {
        fails(
            { "table-pitrr": "advisory" },
            /"table-pitrr" is not a policy of pack \(did you mean "table-pitr"\?\); its policies: table-pitr, table-key, no-config/,
        );
    });

    it("names the closest setting for a setting the policy does not declare", () => {
        fails({ "table-pitr": { dayz: 3 } }, /"table-pitr" has no setting "dayz" \(did you mean "days"\?\)/);
    });

    it("reads a file: JSON object, empty file as none, and a one-line message otherwise", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        const write = (text: string) => (
            fs.writeFileSync(path.join(dir, "c.json"), text),
            path.join(dir, "c.json")
        );
        assert.deepEqual(readPolicyConfigFile(write('{"all": "advisory"}')), { all: "advisory" });
        assert.deepEqual(readPolicyConfigFile(write("  \n")), {});
        assert.throws(
            () => readPolicyConfigFile(write("[1, 2]")),
            /must be a JSON object of policy names to settings, not "\[1, 2\]"/,
        );
        assert.throws(() => readPolicyConfigFile(path.join(dir, "none.json")), /none.json: no such file$/);
    });
});
