$data = ""
if ($data == false) {
  echo "empty is false\n"
}
$z = "0"
if ($z) { echo "zero true\n" } else { echo "zero false\n" }
if (empty($z)) { echo "empty0\n" }
$b = (bool)$z
if ($b) { echo "cast true\n" }
