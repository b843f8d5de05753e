//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import CSwiftMalloc
import Foundation

/// `sm_select`: chooses the process-wide backend before the first allocation, as `PYTHONMALLOC`.
@_cdecl("sm_select")
public func sm_select(_ name: UnsafePointer<CChar>?) -> Int32 {
  guard let name else {
    sm_set_last_error("sm_select: the backend name is NULL")
    return -1
  }
  let value = String(cString: name)
  sm_process_lock()
  defer { sm_process_unlock() }
  guard !ProcessHeap.isChosen else {
    sm_set_last_error(
      "sm_select(\"\(value)\"): the backend is chosen before the first allocation; "
        + "'\(ProcessHeap.selected?.name ?? "?")' is in use")
    return -1
  }
  do {
    ProcessHeap.selected = try Registry.configuration(named: value)
    return 0
  } catch {
    sm_set_last_error("sm_select: \(error)")
    return -1
  }
}

/// `sm_backend_name`: the process-wide backend's canonical name.
@_cdecl("sm_backend_name")
public func sm_backend_name() -> UnsafePointer<CChar>? {
  ProcessHeap.withHeap { _ in UnsafePointer(ProcessHeap.cName) }
}
