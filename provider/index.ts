/**
 * Entry point of the Pulumi component package. The Node.js language host loads this folder with
 * `@pulumi/pulumi/cmd/run-plugin`, finds the exported `ComponentResource` classes and serves them
 * with `componentProviderHost` (`@pulumi/pulumi/provider/experimental`), which infers the package
 * schema from their TypeScript types and doc comments.
 */
export {
    OrganizationBackupPolicy,
    ProtectionBaseline,
    ResilientTable,
    TableBackupPlan,
} from "../components/package";
