/// sockshell's own error: bad input, an unknown handle, a usage mistake. Never a kernel result.
public struct ShellError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}
