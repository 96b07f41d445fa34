/// sockshell's own error: bad input, an unknown handle, a usage mistake. Never a kernel result.
public struct ShellError: Error, Sendable {
  public var message: String
  /// The program must end here, as after one of PHP's fatal errors (status 255, unless an
  /// `exit` already chose one). An empty message has been reported already (or there is none):
  /// the error only unwinds the statements under way.
  public var endsProgram = false
  public init(_ message: String) { self.message = message }
  public init(_ message: String, endsProgram: Bool) {
    self.message = message
    self.endsProgram = endsProgram
  }
}
