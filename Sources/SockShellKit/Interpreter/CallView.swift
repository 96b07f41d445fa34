/// What the interpreter needs of the view that shows a command's calls: each call the kernel
/// reports is handed over as it happens, and the view is told when the command is done and what
/// it gave, since only then is the annotation of its last line known. The strace echo
/// (Views/CallEchoes) is the one sockshell shows; whoever makes the interpreter hands it in.
public protocol CallView: AnyObject {
  /// A call the kernel has just reported.
  func record(_ record: borrowing SyscallRecord, stringLimit: Int, colour: Bool)
  /// The command is done: show its calls in `mode`, the last one annotated with the handles it
  /// created and the variable its value went to, each failure followed by its `hint`.
  func commandDone(
    output: Output, mode: Interpreter.EchoMode, handles: Value, variable: String?, hint: (Errno) -> String?)
  /// Forgets what was recorded without showing it.
  func discard()
}
