/** Turns fixture resources into table facts for the pure decision tests, as the pack does. */
import { Resource, PropertyValue, UNKNOWN as WIRE_UNKNOWN, Secret } from "../../cli/analyzer";
import { TableFacts } from "../../policies/dynamodb/engine/tableFacts";
import { tablesOf } from "../../policies/dynamodb/facts/tables";
import { UNKNOWN } from "../../policies/dynamodb/engine/values";

/** Converts the analyzer client's markers to what the pack sees after snapshotting. */
export function asPackSees(value: PropertyValue | undefined): unknown {
    if (value === WIRE_UNKNOWN) {
        return UNKNOWN;
    }
    if (value instanceof Secret) {
        return asPackSees(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(asPackSees);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asPackSees(v)]));
    }
    return value;
}

export function factsOf(r: Resource): TableFacts[] {
    return tablesOf({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: asPackSees(r.properties),
        protect: r.options?.protect,
        providerProps: r.provider ? asPackSees(r.provider.properties) : undefined,
    });
}

export function factOf(r: Resource, index = 0): TableFacts {
    const facts = factsOf(r);
    if (!facts[index]) {
        throw new Error(`fixture ${r.name} has no table #${index}`);
    }
    return facts[index];
}
