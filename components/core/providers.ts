import type * as pulumi from "@pulumi/pulumi";

/** The AWS provider among a component's `providers` option (a map or a list), if any. */
export function providerOf(
    providers: pulumi.ComponentResourceOptions["providers"],
): pulumi.ProviderResource | undefined {
    if (providers === undefined) return undefined;
    if (Array.isArray(providers)) {
        return providers.find((p) => (p as { getPackage?: () => string }).getPackage?.() === "aws");
    }
    return (providers as Record<string, pulumi.ProviderResource>).aws;
}
