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

  #if Pymalloc
    static func summary(of campaign: FreedMemoryCampaign) -> String {
      let total = campaign.total
      return "swiftmalloc-fuzz: \(campaign.programCount) programs, \(total.writes) writes into freed memory, "
        + "\(total.reports) corruptions reported, \(total.violations.count) harmful"
    }
  #endif
}
