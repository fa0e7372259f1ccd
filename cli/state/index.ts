/** Stack exports (`pulumi stack export`): read, converted for the pack, counted, and checked. */
export {
    type ResourceV3,
    StateError,
    type StackExport,
    parseUrn,
    parseStackExport,
    parseJson,
    readStackExport,
} from "./parse";
export { stateToWire, type ConvertedStack, convertStack, plain } from "./convert";
export { type TableCensus, tableCensus, stateLevels } from "./census";
export { stateFiles, readExportText } from "./files";
export {
    type StackCheck,
    type StateCheckResult,
    type StateCheckOptions,
    runStateCheck,
    summarise,
    renderStates,
} from "./command";
