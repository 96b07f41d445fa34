/// How `timeline` is drawn: for a terminal (`width` columns, box-drawing characters unless
/// `ascii`) or as a Mermaid `sequenceDiagram`. The interpreter is handed the drawing by its view
/// (Views/Timeline.swift), as it is handed the echo.
public struct TimelineStyle: Sendable, Equatable {
  public var mermaid = false
  public var ascii = false
  public var width = 100
  public init() {}
}

public typealias TimelineDrawer = (_ journal: Journal, _ style: TimelineStyle) -> String
