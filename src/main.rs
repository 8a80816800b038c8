fn main() -> std::process::ExitCode {
    pipelint::cli::main()
}
