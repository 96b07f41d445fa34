import Glibc

/// A PHP program runs on a thread of its own with a large stack, so that a learner's recursion
/// (a factorial, a walk down nested arrays) can go thousands of calls deep; the caller waits
/// for it. How deep calls may go is checked against the stack really left (StackBounds), so a
/// recursion that never ends stops with an error, not a crash. Its stack is not rlimited: a
/// program's recursion no longer depends on `ulimit -s`.
enum ProgramThread {
  /// Address space, not memory: only the pages a deep recursion touches are ever used.
  static let stackSize = 256 << 20

  /// Runs `body` on the program's thread and returns when it has. While it waits, the calling
  /// thread blocks every signal: Ctrl-C and set_time_limit's SIGALRM then reach the program's
  /// thread, and interrupt the call it is blocked in, as when programs ran on the caller's
  /// thread. Where no such thread can be made, `body` runs here, on the stack there is.
  static func run(_ body: @escaping () -> Void) {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    guard pthread_attr_setstacksize(&attributes, stackSize) == 0 else { return body() }
    var all = sigset_t()
    sigfillset(&all)
    let start = Start(body: body)
    pthread_sigmask(SIG_SETMASK, &all, &start.signalMask)
    defer { pthread_sigmask(SIG_SETMASK, &start.signalMask, nil) }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(start).toOpaque()
    guard pthread_create(&thread, &attributes, startProgramThread, context) == 0 else {
      Unmanaged<Start>.fromOpaque(context).release()
      pthread_sigmask(SIG_SETMASK, &start.signalMask, nil)
      return body()
    }
    pthread_join(thread, nil)
  }

  /// What the new thread needs, handed over through pthread_create's one pointer.
  final class Start {
    let body: () -> Void
    var signalMask = sigset_t()
    init(body: @escaping () -> Void) { self.body = body }
  }
}

/// The program thread's first function.
private func startProgramThread(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
  guard let context else { return nil }
  let start = Unmanaged<ProgramThread.Start>.fromOpaque(context).takeRetainedValue()
  // The program's thread takes the signals the caller took.
  pthread_sigmask(SIG_SETMASK, &start.signalMask, nil)
  // This frame is near the top of the stack; glibc keeps the thread's descriptor and TLS above
  // it and a guard page at the bottom, well within the slack.
  var marker: UInt8 = 0
  let top = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
  StackBounds.setLowest(top - UInt(ProgramThread.stackSize) + StackBounds.slack)
  start.body()
  return nil
}

/// How far down the running thread's stack may go, where it is known: on a program's thread,
/// kept in a thread-specific slot when the thread starts. Elsewhere (a program run on the
/// caller's thread) it is not, and the calls are held to a budget that fits any stack.
enum StackBounds {
  /// Room left unused at the bottom of a program thread's stack, for what glibc puts there.
  static let slack: UInt = 64 << 10

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  static func setLowest(_ address: UInt) { pthread_setspecific(key, UnsafeRawPointer(bitPattern: address)) }

  /// The lowest address the running thread's stack may reach (it grows down); nil if unknown.
  static var lowest: UInt? {
    pthread_getspecific(key).map { UInt(bitPattern: $0) }
  }
}
