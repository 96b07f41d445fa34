/// PHP's language constructs that are expressions with an effect: `print` writes and is worth 1,
/// `exit` and `die` end the program wherever they stand.
extension Interpreter {
  func evaluateConstruct(_ expr: Expr) throws(ShellError) -> Value {
    switch expr {
    case .print(let itemExpr, _):
      output.write(try evaluate(itemExpr).textBytes)
      return .int(1)
    case .exit(let valueExpr, let scriptRules, _):
      // PHP's exit: an integer is the status (modulo 256, as the system takes it), anything else
      // is printed and the status is 0 — 1 in a sockshell script, where `or die("…")` on a line
      // of its own ends with 1 too.
      var status: Int32 = 0
      if let valueExpr {
        let value = try evaluate(valueExpr)
        if case .int(let number) = value {
          status = Int32(clamping: number & 0xff)
        } else {
          output.write(value.textBytes)
          if scriptRules { status = 1 }
        }
      }
      // At the prompt it ends the statement typed, as `or die` does there: the session goes on.
      if settings.interactive {
        abandonLine = true
        throw ShellError("")
      }
      stop(status: status)
      // Unwinds the statements under way, in a function's body too; nothing more is reported.
      throw ShellError("", endsProgram: true)
    default:
      return try evaluate(expr)
    }
  }
}
