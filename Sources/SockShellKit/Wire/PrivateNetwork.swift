import CReadline
import Glibc

/// The network namespace of sockshell's own that `--wire` captures in: its loopback carries the
/// session's traffic and nothing else of the machine's. A normal user gets the CAP_NET_RAW that
/// capturing needs inside a user namespace of its own, made together with the network namespace;
/// root makes only the network namespace. Either must happen while the process is one thread:
/// the kernel refuses a user namespace to a process with several (EINVAL).
public enum PrivateNetwork {
  /// The system calls entering takes, so a test can refuse one as a locked-down system would.
  public struct Calls: Sendable {
    public var unshare: @Sendable (_ flags: Int32) -> Result<Void, Errno>
    public var writeFile: @Sendable (_ path: String, _ text: String) -> Result<Void, Errno>
    public var bringLoopbackUp: @Sendable () -> Result<Void, Errno>
    public var effectiveUser: @Sendable () -> uid_t

    public init(
      unshare: @escaping @Sendable (Int32) -> Result<Void, Errno>,
      writeFile: @escaping @Sendable (String, String) -> Result<Void, Errno>,
      bringLoopbackUp: @escaping @Sendable () -> Result<Void, Errno>,
      effectiveUser: @escaping @Sendable () -> uid_t
    ) {
      self.unshare = unshare
      self.writeFile = writeFile
      self.bringLoopbackUp = bringLoopbackUp
      self.effectiveUser = effectiveUser
    }

    public static let system = Calls(
      unshare: { flags in CReadline.unshare(flags) == 0 ? .success(()) : .failure(Errno.current) },
      writeFile: PrivateNetwork.write,
      bringLoopbackUp: PrivateNetwork.bringLoopbackUp,
      effectiveUser: { geteuid() })
  }

  /// Why there is no namespace: the step that failed and the errno it failed with.
  public struct Refusal: Error, Sendable {
    public var step: String
    public var errno: Errno
  }

  /// Enters a new network namespace (and, for a user other than root, a new user namespace that
  /// maps the user to itself) and brings its loopback up.
  public static func enter(using calls: Calls = .system) -> Result<Void, Refusal> {
    let uid = calls.effectiveUser()
    let gid = getegid()
    if uid == 0 {
      if case .failure(let errno) = calls.unshare(sockshell_clone_newnet) {
        return .failure(Refusal(step: "unshare(CLONE_NEWNET)", errno: errno))
      }
    } else {
      if case .failure(let errno) = calls.unshare(sockshell_clone_newuser | sockshell_clone_newnet) {
        return .failure(Refusal(step: "unshare(CLONE_NEWUSER|CLONE_NEWNET)", errno: errno))
      }
      // The same user inside as outside: files keep their owners, and the capabilities the new
      // namespace gives last, as no exec follows. setgroups must be denied before gid_map.
      for (path, text) in [
        ("/proc/self/uid_map", "\(uid) \(uid) 1\n"), ("/proc/self/setgroups", "deny"),
        ("/proc/self/gid_map", "\(gid) \(gid) 1\n"),
      ] {
        if case .failure(let errno) = calls.writeFile(path, text) {
          return .failure(Refusal(step: "writing \(path)", errno: errno))
        }
      }
    }
    if case .failure(let errno) = calls.bringLoopbackUp() {
      return .failure(Refusal(step: "bringing lo up", errno: errno))
    }
    return .success(())
  }

  /// The message for a refusal: what failed, why it usually does, and what would allow it.
  public static func explain(_ refusal: Refusal, settings: SystemSettings = .read()) -> String {
    var text =
      "sockshell: --wire needs a network namespace of its own, and this system refused one "
      + "(\(refusal.step): \(refusal.errno.name), \(refusal.errno.message)). "
    switch refusal.errno.number {
    case EINVAL:
      text +=
        "The process had already started threads; a user namespace is only given to a process with one. "
    case ENOSPC:
      text +=
        "User namespaces are limited to \(settings.maxUserNamespaces.map(String.init) ?? "0") here "
        + "(user.max_user_namespaces; 0 on RHEL/CentOS 7): `sudo sysctl user.max_user_namespaces=15000` allows them. "
    default:
      if settings.apparmorRestricts == true {
        text +=
          "AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later): "
          + "`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` allows them, or run sockshell as root. "
      } else if settings.unprivilegedClone == false {
        text +=
          "Unprivileged user namespaces are off (kernel.unprivileged_userns_clone=0, Debian before 11): "
          + "`sudo sysctl kernel.unprivileged_userns_clone=1` allows them, or run sockshell as root. "
      } else {
        text +=
          "A container's seccomp profile refuses unshare (Docker's default does): run the container with "
          + "`--security-opt seccomp=unconfined` or `--cap-add SYS_ADMIN --cap-add NET_RAW`, or run sockshell as root "
          + "outside it. "
      }
    }
    return text + "Going on without the wire."
  }

  /// The settings that decide whether a user may make namespaces, as far as /proc shows them.
  public struct SystemSettings: Sendable {
    public var apparmorRestricts: Bool?
    public var unprivilegedClone: Bool?
    public var maxUserNamespaces: Int?

    public init(apparmorRestricts: Bool? = nil, unprivilegedClone: Bool? = nil, maxUserNamespaces: Int? = nil)
    {
      self.apparmorRestricts = apparmorRestricts
      self.unprivilegedClone = unprivilegedClone
      self.maxUserNamespaces = maxUserNamespaces
    }

    public static func read() -> SystemSettings {
      func number(_ path: String) -> Int? {
        guard case .success(let bytes) = FileSystem.readScript(path, limit: 64) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self).filter { $0.isNumber })
      }
      return SystemSettings(
        apparmorRestricts: number("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").map { $0 != 0 },
        unprivilegedClone: number("/proc/sys/kernel/unprivileged_userns_clone").map { $0 != 0 },
        maxUserNamespaces: number("/proc/sys/user/max_user_namespaces"))
    }
  }

  @Sendable static func write(_ path: String, _ text: String) -> Result<Void, Errno> {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(Errno.current) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    return written == bytes.count ? .success(()) : .failure(Errno.current)
  }

  /// `ioctl(SIOCSIFFLAGS)` with IFF_UP on a socket made and closed for it, before any of the
  /// learner's: it takes the fd the first of those will get, and gives it back.
  @Sendable static func bringLoopbackUp() -> Result<Void, Errno> {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return .failure(Errno.current) }
    defer { close(fd) }
    var request = ifreq()
    withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { name in
      for (index, byte) in "lo".utf8.enumerated() { name[index] = byte }
    }
    guard ioctl(fd, UInt(SIOCGIFFLAGS), &request) == 0 else { return .failure(Errno.current) }
    request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
    guard ioctl(fd, UInt(SIOCSIFFLAGS), &request) == 0 else { return .failure(Errno.current) }
    return .success(())
  }
}
