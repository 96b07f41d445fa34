import Glibc

/// Says what a blocked call is waiting for once it has waited about a second, so a learner
/// staring at a silent `accept` knows why and how to stop it. A call that returns in time
/// prints nothing.
enum WaitNotice {
  /// Runs `body`; if it takes longer than `delay` seconds, writes `message` to `fd` meanwhile.
  static func during<T>(_ message: String, fd: Int32, delay: Double = 1.0, _ body: () -> T) -> T {
    let id = NoticeTimer.shared.arm(Array((message + "\n").utf8), fd: fd, after: delay)
    defer { NoticeTimer.shared.disarm(id) }
    return body()
  }
}

/// One thread for the life of the process, asleep on a condition variable until a notice is
/// due. Dispatch's timers would hold an epoll, an eventfd and a timerfd open from the first
/// notice on, and the learner's next socket would get fd 8 where C gets 5: a thread, a mutex
/// and a condition variable take no descriptor.
final class NoticeTimer: @unchecked Sendable {
  // @unchecked: every stored property is read and written only with `mutex` held.
  static let shared = NoticeTimer()

  private struct Notice {
    var id: UInt64
    var bytes: [UInt8]
    var fd: Int32
    /// CLOCK_MONOTONIC, in nanoseconds.
    var due: Int64
  }

  // pthread objects must not move: they live in memory of their own, for the process's life.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>
  private var armed: [Notice] = []
  private var nextID: UInt64 = 0
  private var threadStarted = false

  private init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
    condition = .allocate(capacity: 1)
    condition.initialize(to: pthread_cond_t())
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    // Deadlines on the monotonic clock: setting the wall clock neither fires nor delays one.
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
  }

  /// Schedules a notice; the id cancels it.
  func arm(_ bytes: [UInt8], fd: Int32, after delay: Double) -> UInt64 {
    let due = NoticeTimer.now() + Int64(max(0, delay) * 1e9)
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    if !threadStarted { threadStarted = startThread() }
    nextID &+= 1
    armed.append(Notice(id: nextID, bytes: bytes, fd: fd, due: due))
    pthread_cond_signal(condition)
    return nextID
  }

  /// Cancels a notice. Taking the lock also waits for one being written to finish, so the
  /// call's echo never lands in the middle of it.
  func disarm(_ id: UInt64) {
    pthread_mutex_lock(mutex)
    armed.removeAll { $0.id == id }
    pthread_mutex_unlock(mutex)
  }

  /// Starts the thread with every signal blocked, so that Ctrl-C and the watchdog's SIGALRM go
  /// to the thread making the learner's call and interrupt it.
  private func startThread() -> Bool {
    var all = sigset_t()
    sigfillset(&all)
    var previous = sigset_t()
    pthread_sigmask(SIG_SETMASK, &all, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    var thread = pthread_t()
    guard pthread_create(&thread, nil, { _ in NoticeTimer.shared.run() }, nil) == 0 else { return false }
    pthread_detach(thread)
    return true
  }

  private func run() -> Never {
    pthread_mutex_lock(mutex)
    while true {
      guard let next = armed.min(by: { $0.due < $1.due }) else {
        pthread_cond_wait(condition, mutex)
        continue
      }
      if NoticeTimer.now() >= next.due {
        armed.removeAll { $0.id == next.id }
        // Written with the lock held: see disarm.
        _ = next.bytes.withUnsafeBytes { Glibc.write(next.fd, $0.baseAddress, $0.count) }
        continue
      }
      var deadline = timespec(tv_sec: Int(next.due / 1_000_000_000), tv_nsec: Int(next.due % 1_000_000_000))
      pthread_cond_timedwait(condition, mutex, &deadline)
    }
  }

  private static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }
}

extension Invocation {
  /// Runs a call that may block; in the interactive shell a notice says what it waits for
  /// once it has waited a second (`accept(3) is waiting for a connection to ...`).
  public func waiting<T>(_ what: @autoclosure () -> String, _ body: () -> T) -> T {
    guard interpreter.settings.waitNotices else { return body() }
    let colour = interpreter.output.colour
    let message =
      (colour ? "\u{1B}[2m" : "") + "sockshell: " + what() + " — Ctrl-C to stop waiting"
      + (colour ? "\u{1B}[0m" : "")
    return WaitNotice.during(message, fd: 2, body)
  }
}
