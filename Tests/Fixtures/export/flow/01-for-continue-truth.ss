for ($i = 0; $i < 4; $i++) {
  $x = $i == 2 ? "0" : "x$i"
  if ($x) { echo "$x " } else { echo "zero " }
  if ($i == 1) { continue }
  echo "$i\n"
}
