// stepline-jsonata: development executable for the JSONata evaluator.
#include "engine/jsonata/cli.h"

int main(int argc, char** argv) { return stepline::jsonata::RunJsonataCli(argc, argv); }
