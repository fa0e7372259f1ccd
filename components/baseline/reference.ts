/**
 * What a table needs from the protection baseline it joins: a {@link ProtectionBaseline} of the same
 * program, or the outputs of one exported by the platform's own stack (read with a StackReference).
 * Kept apart from the component so that tables and the baseline do not import each other.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AlertScope } from "../monitoring/types";
import type { BackupSchedule } from "../backup/presets";

export interface ProtectionBaselineReference {
    /** The baseline's resource name, for messages. */
    readonly baselineName?: string;
    /**
     * The baseline's Region. A backup selection, an EventBridge rule and a KMS key act in their own
     * Region only, so a table joins the baseline of its own Region. Undefined: the provider's Region.
     */
    readonly region?: string;
    /** The shared customer-managed key joined tables use unless they bring their own `kmsKeyArn`. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The shared key of each Region the baseline also covers for replicas, by Region. */
    readonly replicaKmsKeyArns?: Readonly<Record<string, pulumi.Input<string>>>;
    /** The tags the baseline's backup selection selects tables by; a joined table carries them. */
    readonly selectedTags?: Readonly<Record<string, string>>;
    /** The ARNs (patterns allowed) the baseline selects, when it selects by list rather than by tag. */
    readonly selectedTableArns?: readonly string[];
    /** The baseline's backup plan. */
    readonly planArn: pulumi.Input<string>;
    /** The vault that holds the recovery points. */
    readonly vaultName: pulumi.Input<string>;
    /** Which tables the baseline's alarms watch; undefined when it has no alarms. */
    readonly alertScope?: AlertScope;
    /** The topic the alarms publish to; undefined when it has no alarms. */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** The provider the baseline's resources use, when it was given one. */
    readonly provider?: pulumi.ProviderResource;
    /**
     * Puts tables on another schedule, in addition to the baseline's own plan: returns the tags that
     * select a table for it. Only a baseline of the same program can create plans; a reference from
     * another stack cannot.
     */
    scheduleTags?(schedule: BackupSchedule): Record<string, string>;
}
