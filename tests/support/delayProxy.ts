// A TCP proxy on 127.0.0.1 that puts a network between a client and a local server: every chunk is
// held for a set time in each direction (a round trip costs twice that), and connections can be
// dropped, or refused for a while, on command, as when a server goes away. Used by the recover
// benchmark (round trips of 0 to 50 ms) and by the tests of recovering from a server outage.
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface DelayProxy {
    /** `http://127.0.0.1:<port>` */
    readonly endpoint: string;
    /** Milliseconds each chunk is held, each way; a round trip costs twice this. */
    delayMs: number;
    /** Connections open now. */
    readonly connections: number;
    /** Resets every open connection (requests in flight fail; answers held back are lost). */
    dropConnections(): void;
    /** Drops every connection and resets new ones until `ms` have passed: a server that goes away. */
    outage(ms: number): Promise<void>;
    stop(): Promise<void>;
}

export async function startDelayProxy(
    target: { host: string; port: number },
    delayMs = 0,
): Promise<DelayProxy> {
    const sockets = new Set<Socket>();
    let refuseUntil = 0;
    const state = { delayMs };

    const server: Server = createServer((client) => {
        if (Date.now() < refuseUntil) {
            client.resetAndDestroy();
            return;
        }
        const upstream = connect(target.port, target.host);
        client.setNoDelay(true);
        upstream.setNoDelay(true);
        for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
            // A reset on one side is passed on to the other; errors are the point here, not news.
            socket.on("error", () => undefined);
        }
        relay(client, upstream, state);
        relay(upstream, client, state);
        // A side that closes cleanly (an idle keep-alive connection timing out) is ended cleanly on
        // the other side once what it sent has been relayed; one that fails is reset.
        client.on("close", (failed) => (failed ? upstream.resetAndDestroy() : upstream.destroySoon()));
        upstream.on("close", (failed) => {
            if (failed && !client.destroyed) client.resetAndDestroy();
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;

    const dropConnections = () => {
        for (const socket of sockets) if (!socket.destroyed) socket.resetAndDestroy();
        sockets.clear();
    };
    return {
        endpoint: `http://127.0.0.1:${port}`,
        get delayMs() {
            return state.delayMs;
        },
        set delayMs(ms: number) {
            state.delayMs = ms;
        },
        get connections() {
            return sockets.size / 2;
        },
        dropConnections,
        outage(ms: number) {
            refuseUntil = Date.now() + ms;
            dropConnections();
            return new Promise((resolve) => setTimeout(resolve, ms));
        },
        stop() {
            dropConnections();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}

/**
 * Copies `from` to `to`, each chunk released `delayMs` after it arrived, in order. With no delay
 * the chunk is written at once. What is held when either side fails is lost.
 */
function relay(from: Socket, to: Socket, state: { delayMs: number }): void {
    const held: Array<{ at: number; chunk: Buffer }> = [];
    let timer: NodeJS.Timeout | undefined;
    let endAt: number | undefined;
    const release = () => {
        timer = undefined;
        const now = Date.now();
        while (held.length > 0 && held[0].at <= now) {
            const { chunk } = held.shift()!;
            if (!to.destroyed) to.write(chunk);
        }
        if (held.length > 0) timer = setTimeout(release, held[0].at - now);
        else if (endAt !== undefined && !to.destroyed) to.end();
    };
    from.on("data", (chunk: Buffer) => {
        if (state.delayMs <= 0 && held.length === 0) {
            to.write(chunk);
            return;
        }
        const last = held.length > 0 ? held[held.length - 1].at : 0;
        held.push({ at: Math.max(Date.now() + state.delayMs, last), chunk });
        timer ??= setTimeout(release, state.delayMs);
    });
    from.on("end", () => {
        endAt = Date.now();
        if (held.length === 0 && !to.destroyed) to.end();
    });
    // Chunks still held when either side fails are lost, as on a real network.
    const discard = (failed: boolean) => {
        if (!failed) return;
        if (timer) clearTimeout(timer);
        held.length = 0;
    };
    from.on("close", discard);
    to.on("close", discard);
}
