//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
  import Glibc
#endif

/// The work a new thread runs, and what it returned.
final class ThreadWork<Result>: @unchecked Sendable {
  let body: () -> Result
  var result: Result?

  init(_ body: @escaping () -> Result) { self.body = body }
}

/// Runs `body` on a new thread, waits for it to exit, and returns what it returned.
func onNewThread<Result>(_ body: @escaping () -> Result) -> Result {
  let work = ThreadWork(body)
  var thread = pthread_t()
  let status = pthread_create(&thread, nil, { context in
    let work = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! ThreadRunnable
    work.run()
    return nil
  }, Unmanaged.passRetained(work as AnyObject).toOpaque())
  precondition(status == 0, "pthread_create failed with \(status)")
  pthread_join(thread, nil)
  return work.result!
}

/// Lets the thread entry point, which cannot be generic, run a ``ThreadWork`` of any result type.
protocol ThreadRunnable: AnyObject {
  func run()
}

extension ThreadWork: ThreadRunnable {
  func run() { result = body() }
}
