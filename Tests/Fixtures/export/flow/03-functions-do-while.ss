function fact($n) {
  if ($n <= 1) { return 1 }
  return $n * fact($n - 1)
}
function shout($word, $times = 2) {
  return str_repeat(strtoupper($word), $times)
}
$k = 0
do {
  $k++
  if ($k % 2 == 0) { continue }
  echo fact($k), " ", shout("ab"), " ", strlen(shout("c", 3)), "\n"
} while ($k < 5)
