import Glibc

// A handler may run in the middle of any access to these (a loop asks for Ctrl-C at each pass):
// Swift's dynamic exclusivity check would take that for a conflict and abort, so it is off.
@exclusivity(unchecked) nonisolated(unsafe) private var interruptCount: sig_atomic_t = 0
@exclusivity(unchecked) nonisolated(unsafe) private var watchdogExpired: sig_atomic_t = 0
@exclusivity(unchecked) nonisolated(unsafe) private var newlineOnInterrupt: sig_atomic_t = 0

/// Signal handling without `longjmp`: handlers only set a flag. They are installed without
/// SA_RESTART, so a blocked `accept` or `read` returns EINTR and the echo shows it.
public enum Signals {
  /// Unblocks every signal: a parent may have started sockshell with some blocked, and then
  /// neither Ctrl-C, the watchdog nor a plain `kill` would reach it.
  public static func unblockAll() {
    var none = sigset_t()
    sigemptyset(&none)
    sigprocmask(SIG_SETMASK, &none, nil)
  }

  /// Ctrl-C interrupts a blocked call instead of killing the shell.
  public static func catchInterrupts() {
    install(SIGINT) { _ in
      interruptCount += 1
      // The terminal has echoed `^C`; end that line so the call's echo starts on its own.
      if newlineOnInterrupt != 0 {
        var newline: UInt8 = 10
        _ = Glibc.write(1, &newline, 1)
      }
    }
  }

  /// While a command runs in the interactive shell, Ctrl-C also ends the terminal's line.
  public static var endsLineOnInterrupt: Bool {
    get { newlineOnInterrupt != 0 }
    set { newlineOnInterrupt = newValue ? 1 : 0 }
  }

  /// Arms the script watchdog (`set_time_limit`); 0 disarms it.
  public static func armWatchdog(seconds: Int) {
    install(SIGALRM) { _ in watchdogExpired = 1 }
    watchdogExpired = 0
    alarm(UInt32(clamping: seconds))
  }

  public static var watchdogHasExpired: Bool { watchdogExpired != 0 }

  /// Reports and clears a pending Ctrl-C.
  public static func takeInterrupt() -> Bool {
    guard interruptCount != 0 else { return false }
    interruptCount = 0
    return true
  }

  private static func install(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handler
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(signal, &action, nil)
  }
}
