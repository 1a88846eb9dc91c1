#pragma once
/// Registration of every subcommand. Each adds its options to the CLI11 app and, when picked,
/// stores its work in `selected`. One file per subcommand (ARCHITECTURE.md "Layout").

#include "cli.hpp"

namespace sec5g::cli {

// One declaration per cmd_*.cpp file; main.cpp calls each in the order of `sec5g --help`.
// (add new subcommands here and in main.cpp's table)

}  // namespace sec5g::cli
