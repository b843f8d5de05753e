//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

import AllocatorCore
import AllocatorFuzzing

/// The lines both modes print on stderr.
enum FuzzReport {
  static func write(_ line: String) {
    FileDescriptorOutput.standardError.write(line + "\n")
  }

  static func summary(of campaign: FuzzCampaign, problems: Int) -> String {
    "swiftmalloc-fuzz: \(campaign.programCount) programs, \(campaign.operationCount) operations on "
      + "\(campaign.configurations.count) backends, \(problems) violations or divergences"
  }
}
