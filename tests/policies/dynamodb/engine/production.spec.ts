import * as assert from "assert";
import { UNKNOWN as WIRE_UNKNOWN } from "../../../../cli/analyzer";
import { PRODUCTION_DEFAULTS, ProductionConfig } from "../../../../policies/dynamodb/engine/config";
import { decideProduction } from "../../../../policies/dynamodb/engine/production";
import { UNKNOWN as UNKNOWN_VALUE } from "../../../../policies/dynamodb/engine/values";
import { factOf } from "../../../support/policyFacts";
import { awsProvider, awsTable, inStack, nativeTable } from "../../../support/dynamodbResources";

const defaults: ProductionConfig = PRODUCTION_DEFAULTS;

describe("production-ness (policies/dynamodb/engine/production)", () => {
    it("recognises the component's tag `environment: production`", () => {
        const p = decideProduction(factOf(awsTable()), defaults);
        assert.deepStrictEqual(p, { production: true, reason: 'tag `tags.environment` is "production"' });
    });

    it("matches tag keys and values case-insensitively, including `prod`", () => {
        assert.strictEqual(
            decideProduction(factOf(awsTable({ tags: { Environment: "PROD" } })), defaults).production,
            true,
        );
    });

    it("reads aws-native tags as a list of {key, value}", () => {
        assert.strictEqual(decideProduction(factOf(nativeTable()), defaults).production, true);
        const dev = nativeTable({ tags: [{ key: "environment", value: "dev" }] });
        assert.strictEqual(decideProduction(factOf(dev), defaults).production, false);
    });

    it("reads the AWS provider's defaultTags, as an object or as a JSON string", () => {
        for (const asJson of [false, true]) {
            const t = {
                ...awsTable({ tags: undefined }),
                provider: awsProvider({ environment: "production" }, asJson),
            };
            const p = decideProduction(factOf(t), defaults);
            assert.deepStrictEqual(p, {
                production: true,
                reason: 'tag `provider defaultTags.tags.environment` is "production"',
            });
        }
    });

    it("lets the resource's own tag override the provider's default tag", () => {
        const t = {
            ...awsTable({ tags: { environment: "dev" } }),
            provider: awsProvider({ environment: "production" }),
        };
        assert.strictEqual(decideProduction(factOf(t), defaults).production, false);
    });

    it("treats stacks whose name starts or ends with the word prod as production, by default", () => {
        const t = awsTable({ tags: {} });
        const production = (stack: string) =>
            decideProduction(factOf(inStack(t, stack)), defaults).production;
        for (const stack of [
            "prod",
            "production",
            "prod-eu",
            "orders-prod",
            "app.production",
            "PROD_1",
            "team-orders-prod",
        ]) {
            assert.strictEqual(production(stack), true, stack);
        }
        for (const stack of [
            "non-prod",
            "nonprod",
            "pre-prod",
            "preprod",
            "orders-non-prod",
            "dev",
            "staging",
            "product",
            "products-dev",
        ]) {
            assert.strictEqual(production(stack), false, stack);
        }
        const custom = { ...defaults, productionStackNamePattern: "-live$" };
        assert.strictEqual(decideProduction(factOf(inStack(t, "orders-live")), custom).production, true);
    });

    it("lets a table's own tag naming another environment win over the stack's name", () => {
        const staging = inStack(awsTable({ tags: { environment: "staging" } }), "prod");
        assert.deepStrictEqual(decideProduction(factOf(staging), defaults), {
            production: false,
            reason: 'tag `tags.environment` is "staging"',
            declared: true,
        });
        const untagged = inStack(awsTable({ tags: {} }), "prod");
        assert.strictEqual(decideProduction(factOf(untagged), defaults).production, true);
        const padded = inStack(awsTable({ tags: { environment: " Production " } }), "dev");
        assert.strictEqual(decideProduction(factOf(padded), defaults).production, true);
    });

    it("reads stack tags", () => {
        const p = decideProduction(factOf(awsTable({ tags: {} })), defaults, {
            stackTags: new Map([["environment", "prod"]]),
        });
        assert.deepStrictEqual(p, { production: true, reason: 'stack tag `environment` is "prod"' });
    });

    it("treats every table as production with allTablesAreProduction", () => {
        const p = decideProduction(factOf(awsTable({ tags: {} })), {
            ...defaults,
            allTablesAreProduction: true,
        });
        assert.strictEqual(p.production, true);
    });

    it("is unknown, naming the property, when the deciding tag is unknown", () => {
        const p = decideProduction(factOf(awsTable({ tags: { environment: WIRE_UNKNOWN } })), defaults);
        assert.deepStrictEqual(p, {
            production: "unknown",
            path: "tags.environment",
            reason: "tag `tags.environment` is unknown during preview",
        });
    });

    it("does not guess when the configured stack name pattern is not a regular expression", () => {
        const p = decideProduction(factOf(awsTable({ tags: {} })), {
            ...defaults,
            productionStackNamePattern: "(",
        });
        assert.strictEqual(p.production, "unknown");
        assert.match(p.reason, /`productionStackNamePattern` "\(" is not a valid regular expression/);
    });

    describe("with references (extra tags and inherited production-ness)", () => {
        const tag = (key: unknown, value: unknown) => ({
            path: "",
            owner: "aws.dynamodb.Tag `t`",
            value: { key, value },
        });
        const production = { production: true as const, reason: 'tag `tags.environment` is "production"' };

        it("reads an aws.dynamodb.Tag over the table's own tags, naming the Tag", () => {
            const p = decideProduction(factOf(awsTable({ tags: { environment: "dev" } })), defaults, {
                extraTagSources: [tag("environment", "production")],
            });
            assert.deepStrictEqual(p, {
                production: true,
                reason: 'aws.dynamodb.Tag `t` sets tag `environment` to "production"',
            });
        });

        it("is unknown when the Tag's key or value is, naming its property", () => {
            const p = decideProduction(factOf(awsTable({ tags: {} })), defaults, {
                extraTagSources: [tag(UNKNOWN_VALUE, "production")],
            });
            assert.deepStrictEqual(p, {
                production: "unknown",
                path: "key",
                reason: "`key` of aws.dynamodb.Tag `t` is unknown during preview",
            });
        });

        it("inherits production from a referenced table unless its own tag names another environment", () => {
            const inherited = [{ via: "it is a replica of table `orders`", production }];
            const untagged = decideProduction(factOf(awsTable({ tags: {} })), defaults, { inherited });
            assert.strictEqual(untagged.production, true);
            assert.match(untagged.reason, /^it is a replica of table `orders`, which is production because/);
            const dev = decideProduction(factOf(awsTable({ tags: { environment: "dev" } })), defaults, {
                inherited,
            });
            assert.strictEqual(dev.production, false);
        });
    });
});
