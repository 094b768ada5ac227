fn main() -> std::process::ExitCode {
    jetconform::cli::main()
}
