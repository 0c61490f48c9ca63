//! The floor of a scan: reading a file into 4 MiB blocks as `hsq customers`
//! does (`read` into reused buffers, no mmap), and nothing else, on one
//! thread or several (issue 14, BENCHMARKS.md §4, fourth round).
//!
//! ```text
//! cargo run --release --example read_floor -- FILE [THREADS] [touch]
//! ```
//!
//! With one thread the blocks are read one after the other, as hsq's reader
//! thread reads them. With more, each thread reads every n-th block with
//! positional reads (`read_at`), so the kernel's copy is spread over the
//! threads (hsq's reader is one thread today). With `touch`, each block's
//! newlines are also counted (`memchr`): a pass over every byte in the
//! cache, the least any validation could cost. Prints the bytes and lines
//! read.

use std::fs::File;
use std::io::Read;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: read_floor FILE [THREADS] [touch]");
    let threads: u64 = args.next().map_or(1, |t| t.parse().expect("THREADS"));
    let touch = args.next().as_deref() == Some("touch");
    const BLOCK: usize = 4 << 20;
    let (bytes, lines) = if threads <= 1 {
        let mut file = File::open(&path)?;
        let mut buffer = vec![0; BLOCK];
        let (mut bytes, mut lines) = (0, 0);
        loop {
            let n = read_full(&mut file, &mut buffer)?;
            if n == 0 {
                break;
            }
            bytes += n;
            if touch {
                lines += memchr::memchr_iter(b'\n', &buffer[..n]).count();
            }
        }
        (bytes, lines)
    } else {
        read_parallel(&path, threads, BLOCK, touch)?
    };
    println!("{bytes} bytes, {lines} lines");
    Ok(())
}

/// Reads until `buffer` is full or the file ends.
fn read_full(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(unix)]
fn read_parallel(
    path: &str,
    threads: u64,
    block: usize,
    touch: bool,
) -> std::io::Result<(usize, usize)> {
    use std::os::unix::fs::FileExt;
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let file = &file;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> std::io::Result<(usize, usize)> {
                    let mut buffer = vec![0; block];
                    let (mut bytes, mut lines) = (0, 0);
                    let mut at = t * block as u64;
                    while at < len {
                        let mut filled = 0;
                        while filled < block {
                            match file.read_at(&mut buffer[filled..], at + filled as u64)? {
                                0 => break,
                                n => filled += n,
                            }
                        }
                        bytes += filled;
                        if touch {
                            lines += memchr::memchr_iter(b'\n', &buffer[..filled]).count();
                        }
                        at += threads * block as u64;
                    }
                    Ok((bytes, lines))
                })
            })
            .collect();
        let mut total = (0, 0);
        for worker in workers {
            let (bytes, lines) = worker.join().expect("a reader thread panicked")?;
            total.0 += bytes;
            total.1 += lines;
        }
        Ok(total)
    })
}

#[cfg(not(unix))]
fn read_parallel(_: &str, _: u64, _: usize, _: bool) -> std::io::Result<(usize, usize)> {
    unimplemented!("positional reads: Unix only")
}
