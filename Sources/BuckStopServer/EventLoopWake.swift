import BuckStopLive
import NIOPosix

/// Where a request's task should resume after its append commits: the event loop of its connection, so that the task
/// writes its answer there instead of hopping from wherever the commit finished. Nil off the event loops.
enum EventLoopWake {
    static func current() -> LiveLedger.Wake? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return { work in loop.execute(work) }
    }
}
