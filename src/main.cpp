// provision: Ray-cluster specs in git -> Ray clusters on EMR Serverless Spark.
#include "cli/app.hpp"

int main(int argc, char** argv) { return provision::cli::run_main(argc, argv); }
