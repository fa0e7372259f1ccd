/**
 * Waits until the Pulumi runtime has no registration in flight and the callbacks those registrations
 * resolved have run (an `apply` that logs a warning, say): the signal a test waits on instead of a
 * fixed delay, so it holds on a busy machine.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export async function settled(): Promise<void> {
    // Registrations can start more registrations (a component's children): wait until a full turn
    // of the event loop starts none.
    for (let round = 0; round < 100; round++) {
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
        const before = settings.waitForRPCs();
        let pending = true;
        void before.then(() => (pending = false));
        await new Promise((resolve) => setImmediate(resolve));
        if (!pending) return;
    }
    throw new Error(
        "the Pulumi runtime still had registrations in flight after 100 rounds of waiting for them",
    );
}
