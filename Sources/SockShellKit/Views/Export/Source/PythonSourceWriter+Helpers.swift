/// The helpers a Python program may use, each written only when it is used.
extension PythonSourceWriter {
  static let helperOrder = [
    "argv", "as_bytes", "php_float", "divide", "to_int", "at", "truthy", "out", "attempt", "address", "accept", "pair", "receive_cut", "receive_from", "read_line", "sock_name", "copy_array", "push", "search", "strpos", "substr", "select_ready",
  ]

  static let helperModules: [String: [String]] = [
    "argv": ["sys"], "out": ["sys"], "attempt": ["errno", "sys"], "receive_from": ["errno", "sys"], "address": ["socket"], "select_ready": ["select"],
  ]

  static let helperText: [String: [String]] = [
    "argv": [
      "# PHP's $argv and $argc: the program's arguments as bytes, by their index.",
      "argv = {index: argument.encode() for index, argument in enumerate(sys.argv)}", "argc = len(sys.argv)",
    ],
    "as_bytes": [
      "def as_bytes(value):",
      "    \"\"\"A value as PHP makes it a string: bytes as they are, true as b\"1\", false and null empty.\"\"\"",
      "    if isinstance(value, bytes):", "        return value",
      "    if value is True:", "        return b\"1\"",
      "    if value is False or value is None:", "        return b\"\"",
      "    if isinstance(value, float):", "        return php_float(value)",
      "    return str(value).encode()",
    ],
    "php_float": [
      "def php_float(value):",
      "    \"\"\"A float as PHP prints one: 14 significant digits, 1.0E+25 for the large and small.\"\"\"",
      "    if value != value:", "        return b\"NAN\"", "    if value in (float(\"inf\"), float(\"-inf\")):",
      "        return b\"INF\" if value > 0 else b\"-INF\"", "    text = \"%.14G\" % value", "    if \"E\" in text:",
      "        mantissa, exponent = text.split(\"E\")", "        if \".\" not in mantissa:",
      "            mantissa += \".0\"", "        text = mantissa + \"E\" + (\"-\" if exponent.startswith(\"-\") else \"+\") + str(abs(int(exponent)))",
      "    return text.encode()",
    ],
    "to_int": [
      "def to_int(value):",
      "    \"\"\"PHP's (int): a string's leading number (0 when there is none), a float cut, a bool 0 or 1.\"\"\"",
      "    if isinstance(value, bytes):", "        digits = value.lstrip(b\" \\t\\n\\r\\v\\f\")", "        sign = 1",
      "        if digits[:1] in (b\"-\", b\"+\"):", "            sign = -1 if digits[:1] == b\"-\" else 1",
      "            digits = digits[1:]", "        count = 0", "        while count < len(digits) and digits[count:count + 1].isdigit():",
      "            count += 1", "        return sign * int(digits[:count]) if count else 0",
      "    if value is None:", "        return 0", "    return int(value)",
    ],
    "at": [
      "def at(value, key):",
      "    \"\"\"$value[key]: an array's element, or one byte of a string, as a string.\"\"\"",
      "    if isinstance(value, bytes):", "        return value[key:key + 1 or None]", "    return value[key]",
    ],
    "divide": [
      "def divide(dividend, divisor):",
      "    \"\"\"PHP's /: an int when both are ints and it comes out even, a float otherwise.\"\"\"",
      "    if type(dividend) is int and type(divisor) is int and divisor != 0 and dividend % divisor == 0:",
      "        return dividend // divisor", "    return dividend / divisor",
    ],
    "truthy": [
      "def truthy(value):", "    \"\"\"PHP's truth: as Python's, but the string \"0\" is false too.\"\"\"",
      "    return bool(value) and value != b\"0\"",
    ],
    "out": [
      "def out(*values):", "    \"\"\"echo: each value written as bytes.\"\"\"",
      "    for value in values:", "        sys.stdout.buffer.write(as_bytes(value))", "    sys.stdout.flush()",
    ],
    "attempt": [
      "last_errno = 0", "", "",
      "def attempt(name, call, *arguments):",
      "    \"\"\"Makes one call. An OSError is said on stderr with its errno and gives False, as a failed",
      "    call is false in PHP; socket_last_error() is last_errno.\"\"\"",
      "    global last_errno", "    try:", "        result = call(*arguments)", "    except OSError as error:",
      "        last_errno = error.errno",
      "        print(f\"{name}: {errno.errorcode.get(error.errno, error.errno)} ({error.strerror})\", file=sys.stderr)",
      "        return False", "    return True if result is None else result",
    ],
    "address": [
      "def address(sock, host, port):",
      "    \"\"\"The address bind() and connect() take: a path for AF_UNIX, else (host, port).\"\"\"",
      "    if isinstance(host, bytes):", "        host = host.decode()",
      "    return host if sock.family == socket.AF_UNIX else (host, port or 0)",
    ],
    "accept": [
      "def accept(listener):", "    \"\"\"accept(2): the new socket; the peer's address is the socket's to tell.\"\"\"",
      "    connection, _ = listener.accept()", "    return connection",
    ],
    "receive_from": [
      "def receive_from(sock, length, flags):",
      "    \"\"\"recvfrom(2): the data, the sender's host (bytes) and port; False and None when it failed.\"\"\"",
      "    got = attempt(\"recvfrom\", sock.recvfrom, length, flags)", "    if got is False:",
      "        return False, None, None", "    data, sender = got", "    if isinstance(sender, str):",
      "        return data, sender.encode(), 0", "    return data, sender[0].encode(), sender[1]",
    ],
    "pair": [
      "def pair(family, kind, protocol):",
      "    \"\"\"socketpair(2): the two connected sockets, as the array socket_create_pair fills.\"\"\"",
      "    first, second = socket.socketpair(family, kind, protocol)", "    return {0: first, 1: second}",
    ],
    "read_line": [
      "def read_line(sock, length):",
      "    \"\"\"PHP_NORMAL_READ: a byte a call, up to a newline or carriage return.\"\"\"",
      "    line = b\"\"", "    while len(line) < length:", "        byte = os.read(sock.fileno(), 1)",
      "        if not byte:", "            break", "        line += byte", "        if byte in b\"\\r\\n\":",
      "            break", "    return line",
    ],
    "sock_name": [
      "def sock_name(call):", "    \"\"\"getsockname()/getpeername(): the host as bytes, and the port.\"\"\"",
      "    name = call()", "    if isinstance(name, str):", "        return name.encode(), 0",
      "    return name[0].encode(), name[1]",
    ],
    "push": [
      "def push(array, value):", "    \"\"\"$array[] = value: the next integer key.\"\"\"",
      "    keys = [key for key in array if isinstance(key, int)]",
      "    array[max(keys) + 1 if keys else 0] = value",
    ],
    "strpos": [
      "def strpos(haystack, needle, offset=0):",
      "    \"\"\"strpos: where needle first is from offset (from the end when negative), or False.\"\"\"",
      "    found = haystack.find(needle, offset if offset >= 0 else max(len(haystack) + offset, 0))",
      "    return False if found < 0 else found",
    ],
    "substr": [
      "def substr(string, start, length=None):",
      "    \"\"\"substr, as PHP 8 counts: a negative start from the end, a negative length short of it.\"\"\"",
      "    if start < 0:", "        start = max(len(string) + start, 0)", "    if length is None:",
      "        return string[start:]", "    end = start + length if length >= 0 else len(string) + length",
      "    return string[start:max(end, start)]",
    ],
    "receive_cut": [
      "def receive_cut(sock, length, flags):",
      "    \"\"\"recv(2) with MSG_TRUNC: the bytes that came, not the datagram's whole length.\"\"\"",
      "    data = attempt(\"recv\", sock.recv, length, flags)", "    return data if data is False else data[:length]",
    ],
    "copy_array": [
      "def copy_array(value):",
      "    \"\"\"$b = $a: PHP copies an array, and the arrays in it; what else it holds is shared.\"\"\"",
      "    if not isinstance(value, dict):", "        return value",
      "    return {key: copy_array(item) for key, item in value.items()}",
    ],
    "search": [
      "def search(value, array):", "    \"\"\"array_search: the first key whose value equals, or False.\"\"\"",
      "    for key, item in array.items():", "        if item == value:", "            return key",
      "    return False",
    ],
    "select_ready": [
      "def select_ready(read, write, exceptional, seconds):",
      "    \"\"\"socket_select: leaves in each dict only the sockets that are ready; their count.\"\"\"",
      "    lists = [list((d or {}).values()) for d in (read, write, exceptional)]",
      "    ready = select.select(*lists, seconds)",
      "    for found, d in zip(ready, (read, write, exceptional)):",
      "        for key in [key for key, sock in (d or {}).items() if sock not in found]:",
      "            del d[key]",
      "    return sum(len(found) for found in ready)",
    ],
  ]
}
