/// How `timeline` is drawn: for a terminal (`width` columns, box-drawing characters unless
/// `ascii`) or as a Mermaid `sequenceDiagram`. The interpreter is handed the drawing by its view
/// (Views/Timeline.swift), as it is handed the echo.
public struct TimelineStyle: Sendable, Equatable {
  public var mermaid = false
  public var ascii = false
  public var width = 100
  /// ANSI colour, on a terminal: data in green, FIN in yellow, RST and failures in red.
  public var colour = false
  public init() {}
}

public typealias TimelineDrawer = (_ journal: Journal, _ style: TimelineStyle) -> String
