import * as assert from "assert";
import { malformedPattern, matchArnPattern, parseTableArn } from "../../../../policies/dynamodb/facts/arn";

const known = { partition: "aws", region: "eu-west-1", account: "111122223333", name: "Orders-2024" };

describe("ARN patterns of backup selections (policies/dynamodb/facts/arn)", () => {
    it("parses a table ARN and refuses anything else", () => {
        assert.deepStrictEqual(
            parseTableArn("arn:aws:dynamodb:eu-west-1:111122223333:table/Orders-2024"),
            known,
        );
        for (const bad of [
            "",
            "orders",
            "arn:aws:s3:::bucket",
            "arn:aws:dynamodb:eu-west-1:1:table/",
            42,
            undefined,
        ]) {
            assert.strictEqual(parseTableArn(bad), undefined, String(bad));
        }
    });

    it("matches a fully known table as a plain glob", () => {
        assert.strictEqual(
            matchArnPattern("arn:aws:dynamodb:eu-west-1:111122223333:table/Orders-2024", known),
            true,
        );
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:eu-west-1:*:table/Orders*", known), true);
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:us-east-1:*:table/Orders*", known), false);
        assert.strictEqual(matchArnPattern("arn:aws:s3:::*", known), false);
    });

    it("says a pattern covers a table whatever its unknown parts only when wildcards absorb them", () => {
        const nameOnly = { name: "orders" };
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:*:table/*", {}), true);
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:*:table/ord*", nameOnly), true);
        assert.strictEqual(matchArnPattern("*", {}), true);
        assert.strictEqual(matchArnPattern("arn:aws:*", {}), true);
        assert.strictEqual(matchArnPattern("arn:*:dynamodb:*", { region: "cn-north-1" }), true);
    });

    it("rules a table out when no value of its unknown parts can match", () => {
        assert.strictEqual(matchArnPattern("arn:aws:s3:::*", {}), false);
        assert.strictEqual(matchArnPattern("arn:aws:rds:*:*:db:*", { name: "orders" }), false);
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:*:table/other*", { name: "orders" }), false);
        assert.strictEqual(
            matchArnPattern("arn:aws:dynamodb:eu-west-1:*:table/*", { region: "us-east-1" }),
            false,
        );
        // A Region holds no `/`, an account only digits: neither can make up the difference.
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:abc:table/*", {}), false);
        // A table in China is in the aws-cn partition.
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:*:table/*", { region: "cn-north-1" }), false);
    });

    it("is undefined only when the match depends on an unknown part", () => {
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:*:table/ord*", {}), undefined);
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:eu-west-1:*:table/*", {}), undefined);
        assert.strictEqual(
            matchArnPattern("arn:aws:dynamodb:us-east-1:111122223333:table/orders", {
                region: "us-east-1",
                name: "orders",
            }),
            undefined,
        );
        assert.strictEqual(
            matchArnPattern("arn:aws:dynamodb:*:*:table/*-prod", { region: "us-east-1" }),
            undefined,
        );
    });

    it("never throws and never rules out on a pattern it cannot read", () => {
        for (const bad of ["orders", "", "arn:aws", "table/*", "arn:aws:dynamodb"]) {
            assert.ok(malformedPattern(bad), bad);
            assert.strictEqual(matchArnPattern(bad, known), undefined, bad);
        }
        assert.strictEqual(matchArnPattern("arn:aws:dynamodb:*:*:table/(.*[", { name: "x" }), false);
    });
});
