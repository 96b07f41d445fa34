import Glibc
import Testing
@testable import SockShellKit

/// The namespace refused as locked-down systems refuse it, through the calls entering makes.
@Suite struct PrivateNetworkTests {
  static func calls(refusing errno: Int32, user: uid_t = 1000) -> PrivateNetwork.Calls {
    PrivateNetwork.Calls(
      unshare: { _ in .failure(Errno(errno)) }, writeFile: { _, _ in .success(()) },
      bringLoopbackUp: { .success(()) }, effectiveUser: { user })
  }

  @Test func aRefusedUnshareSaysWhichStepAndWhatWouldAllowIt() throws {
    let result = PrivateNetwork.enter(using: PrivateNetworkTests.calls(refusing: EPERM))
    guard case .failure(let refusal) = result else {
      Issue.record("entering went through")
      return
    }
    #expect(refusal.step == "unshare(CLONE_NEWUSER|CLONE_NEWNET)")
    let apparmor = PrivateNetwork.explain(refusal, settings: .init(apparmorRestricts: true))
    #expect(apparmor.contains("kernel.apparmor_restrict_unprivileged_userns=0"))
    #expect(apparmor.hasSuffix("Going on without the wire."))
    let debian = PrivateNetwork.explain(refusal, settings: .init(unprivilegedClone: false))
    #expect(debian.contains("kernel.unprivileged_userns_clone=1"))
    let container = PrivateNetwork.explain(refusal, settings: .init())
    #expect(container.contains("seccomp"))
    let limited = PrivateNetwork.explain(
      PrivateNetwork.Refusal(step: "unshare", errno: Errno(ENOSPC)), settings: .init(maxUserNamespaces: 0))
    #expect(limited.contains("user.max_user_namespaces"))
  }

  @Test func rootMakesOnlyTheNetworkNamespace() {
    final class Flags: @unchecked Sendable { var seen: [Int32] = [] }
    let flags = Flags()
    let calls = PrivateNetwork.Calls(
      unshare: {
        flags.seen.append($0); return .success(())
      },
      writeFile: { path, _ in
        Issue.record("wrote \(path)"); return .success(())
      },
      bringLoopbackUp: { .success(()) }, effectiveUser: { 0 })
    guard case .success = PrivateNetwork.enter(using: calls) else {
      Issue.record("entering failed")
      return
    }
    #expect(flags.seen == [0x4000_0000])
  }

  @Test func aRefusalLeavesTheSessionWithoutTheWire() {
    guard
      case .failure(let failure) = Wire.start(
        namespace: .own, calls: PrivateNetworkTests.calls(refusing: EPERM))
    else {
      Issue.record("the wire started")
      return
    }
    #expect(failure.message.hasPrefix("sockshell: --wire needs a network namespace of its own"))
    // The session a refused --wire gets is the plain one: pcap says the wire is off.
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "pcap /tmp/never-written.pcap")
    #expect(interpreter.wire == nil)
    #expect(output.messages.contains { $0.contains("the wire is off") && $0.contains("--wire") })
  }
}
