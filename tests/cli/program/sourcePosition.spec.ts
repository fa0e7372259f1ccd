import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { runCheck } from "../../../cli/check";
import { runUnderMocks } from "../../../cli/program/mockRuntime";
import { declarationSite, RegistrationSource } from "../../../cli/program/sourcePosition";
import { ResilientTable } from "../../../components";

const root = path.resolve(__dirname, "../../..");
const program = path.join(root, "tests/fixtures/programs/component-lines");
const entry = path.join(program, "index.ts");

/** The 1-based line of `file` holding `text`. */
function lineOf(file: string, text: string): number {
    const line =
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .findIndex((l) => l.includes(text)) + 1;
    assert.ok(line > 0, `${text} not found in ${file}`);
    return line;
}

async function check(...argv: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = "";
    const sink = (write: (text: string) => void) =>
        Object.assign(
            new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (write(String(c)), cb()) }),
            {
                isTTY: false,
            },
        );
    const io = { stdout: sink((t) => (stdout += t)), stderr: sink(() => undefined) };
    const code = await runCheck(argv, io as any);
    return { code, stdout };
}

/** A registration as the SDK sends it, with the given `file:line` frames. */
function registration(frames: string[], withStackTrace = true): RegistrationSource {
    const position = (frame: string) => {
        const [file, line] = frame.split(":");
        return { getUri: () => `file://${file}`, getLine: () => Number(line), getColumn: () => 5 };
    };
    return {
        getSourceposition: () => (frames.length > 0 ? position(frames[0]) : undefined),
        getStacktrace: withStackTrace
            ? () => ({ getFramesList: () => frames.map((f) => ({ getPc: () => position(f) })) })
            : undefined,
    };
}

describe("source positions: each result points at the user's line that declared the resource", function () {
    this.timeout(120_000);

    it("check --sarif writes a log valid against the SARIF 2.1.0 schema, each result at its table's line", async () => {
        const sarifFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sarif-")), "report.sarif");
        const { code } = await check(program, "--sarif", sarifFile);
        assert.equal(code, 1);
        const log = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
        const schema = JSON.parse(
            fs.readFileSync(path.join(root, "tests/fixtures/sarif-schema-2.1.0.json"), "utf8"),
        );
        const ajv = new Ajv({ allErrors: true, strict: false });
        addFormats(ajv);
        const validate = ajv.compile(schema);
        assert.ok(validate(log as object), JSON.stringify(validate.errors, null, 2));

        const results = log.runs[0].results;
        assert.ok(results.length >= 3, "the bare table has several violations");
        const uri = path.relative(process.cwd(), entry).split(path.sep).join("/");
        for (const r of results) {
            assert.deepEqual(
                r.locations[0].physicalLocation,
                {
                    artifactLocation: { uri },
                    region: { startLine: lineOf(entry, 'new aws.dynamodb.Table("bare"'), startColumn: 1 },
                },
                r.message.text,
            );
        }
    });

    it("the text report names file:line beside each resource with violations", async () => {
        const { stdout } = await check(program, "--no-color");
        const where = `${path.relative(process.cwd(), entry)}:${lineOf(entry, 'new aws.dynamodb.Table("bare"')}`;
        assert.match(stdout, new RegExp(`aws:dynamodb/table:Table bare  ${where.replace(/[.]/g, "\\.")}\\n`));
    });

    it("places every resource a ResilientTable creates at the line that declared the ResilientTable", async () => {
        // A named function: the SDK drops stack frames without a name (`at file:line:column`).
        function declareOrders() {
            return new ResilientTable("orders", { hashKey: "id", attributes: [{ name: "id", type: "S" }] }); // declared here
        }
        const { resources } = await runUnderMocks(declareOrders);
        const line = lineOf(__filename, "// declared here");
        const created = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
        assert.ok(created.some((r) => r.type === "aws:dynamodb/table:Table"));
        for (const r of created)
            assert.deepEqual([r.source?.file, r.source?.line], [__filename, line], r.type);
    });

    it("skips frames in node_modules and in the package's own components", () => {
        const user = path.join(os.tmpdir(), "project", "index.ts");
        const site = declarationSite(
            registration([
                path.join(
                    os.tmpdir(),
                    "project",
                    "node_modules",
                    "@pulumi",
                    "aws",
                    "dynamodb",
                    "table.js:300",
                ),
                path.join(root, "components", "resilientTable.ts:120"),
                `${user}:12`,
                path.join(root, "cli", "check", "command.ts:270"),
            ]),
        );
        assert.deepEqual(site, { file: user, line: 12, column: 5 });
    });

    it("falls back to the SDK's source position without a stack trace, and to none when all is library code", () => {
        const user = path.join(os.tmpdir(), "project", "index.ts");
        assert.deepEqual(declarationSite(registration([`${user}:3`], false)), {
            file: user,
            line: 3,
            column: 5,
        });
        assert.equal(declarationSite(registration([path.join(root, "components", "x.ts:1")])), undefined);
        assert.equal(declarationSite(registration([])), undefined);
    });
});
