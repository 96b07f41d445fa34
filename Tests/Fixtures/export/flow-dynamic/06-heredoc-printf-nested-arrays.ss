$name = "world"
$n = 3
$msg = <<<EOT
Hello $name,
  you have {$n} items
EOT
echo $msg . "\n"
$raw = <<<'RAW'
no $interp here\n
RAW
echo $raw . "\n"
printf("%s has %d (%5.1f%%) [%-4s] [%04d] %x\n", $name, $n, 12.5, "ab", 42, 255)
$grid = []
for ($r = 0; $r < 3; $r++) {
  $row = []
  for ($c = 0; $c < 3; $c++) {
    $row[] = $r * $c
  }
  $grid[] = $row
}
$grid[1][2] = 99
$grid["x"] = ["y" => "deep"]
foreach ($grid as $k => $row) {
  if (true) {
    echo $k . ": " . implode(",", $row) . "\n"
  }
}
echo $grid["x"]["y"] . " " . count($grid) . " " . count($grid[0]) . "\n"
$words = explode(" ", "the quick brown fox")
$out = ""
foreach ($words as $i => $w) {
  $out .= str_replace("o", "0", $w) . ($i < count($words) - 1 ? "-" : "")
  if (strpos($w, "u") !== false) {
    echo "u in $w at " . strpos($w, "u") . "\n"
  }
}
echo "$out\n"
echo sprintf("%03d|%s", 7, substr("abcdef", 2, 3)) . "\n"
$copy = $grid
$copy[0][0] = "changed"
echo $grid[0][0] . " " . $copy[0][0] . "\n"
echo in_array(4, $grid[2]) ? "has4\n" : "no4\n"
echo array_search("brown", $words) . "\n"
