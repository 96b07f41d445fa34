if (true) {
  $parts = explode(" ", "GET /index.html HTTP/1.0", 2)
  echo count($parts) . " " . $parts[1] . "\n"
  echo strpos("abcabc", "c", 3) . "\n"
  echo intval("abc") . " " . intval("12abc") . "\n"
  $r = ""
  if ($r == false) { echo "r is falsy\n" }
  if ("abc" < "abd") { echo "lt\n" }
}
