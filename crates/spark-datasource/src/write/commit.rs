//! Atomic commits of a write, as Spark's FileOutputCommitter makes them:
//! every file is first written under `<target>/_temporary/<job>/` (hidden
//! from readers, whose listings skip `_`-prefixed names), and published only
//! when the whole job has succeeded.
//!
//! Publishing is decided by one atomic step: the job's commit record
//! (`_COMMIT`, written to a temporary name and renamed) lists the files to
//! move in and the old entries to remove. Before it exists, a crash leaves
//! the target exactly as it was and the staging directory is abandoned;
//! after it exists, a crash is finished by [`recover`], which replays the
//! record (each step is idempotent). Old files of an overwrite are removed
//! only once the record is durable, so the old rows stay whole until the
//! new ones are committed.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::{SourceError, SourceResult};

pub const STAGING_DIR: &str = "_temporary";
const COMMIT_RECORD: &str = "_COMMIT";
const SUCCESS_MARKER: &str = "_SUCCESS";

/// The staging directories of jobs running in this process: recovery
/// never touches them.
fn active_jobs() -> &'static Mutex<HashSet<PathBuf>> {
    static ACTIVE: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    ACTIVE.get_or_init(Default::default)
}

/// What a commit removes from the target before the new files go in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replace {
    /// Append: nothing.
    Nothing,
    /// Overwrite: everything the target held.
    Everything,
    /// Dynamic partition overwrite: the partition directories written to.
    WrittenPartitions,
}

#[derive(Debug, Serialize, Deserialize)]
struct CommitRecord {
    /// Staged files, relative to the staging directory (and to the target).
    files: Vec<String>,
    /// Entries of the target to remove, relative to it.
    remove: Vec<String>,
}

/// One write job's staging area. Dropping it without [`StagedWrite::commit`]
/// removes what was staged.
#[derive(Debug)]
pub struct StagedWrite {
    target: PathBuf,
    staging: PathBuf,
    job_id: String,
    committed: bool,
}

fn io_error(path: &Path, e: std::io::Error) -> SourceError {
    SourceError::Write { path: path.display().to_string(), message: e.to_string() }
}

impl StagedWrite {
    /// Starts a job writing into `target` (created if missing).
    pub fn begin(target: &Path) -> SourceResult<Self> {
        let job_id = uuid::Uuid::new_v4().to_string();
        let staging = target.join(STAGING_DIR).join(&job_id);
        fs::create_dir_all(&staging).map_err(|e| io_error(&staging, e))?;
        if let Ok(mut active) = active_jobs().lock() {
            active.insert(staging.clone());
        }
        Ok(Self { target: target.to_path_buf(), staging, job_id, committed: false })
    }

    /// The id shared by every file of the job (the UUID in Spark's file names).
    pub fn job_id(&self) -> &str {
        &self.job_id
    }

    /// The staging directory (files under it mirror the target's layout).
    pub fn staging_root(&self) -> &Path {
        &self.staging
    }

    /// Where a file with this path relative to the target is staged; its
    /// directory is created.
    pub fn staged_path(&self, relative: &str) -> SourceResult<PathBuf> {
        let path = self.staging.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        Ok(path)
    }

    /// Publishes the staged files: writes the commit record, then applies it.
    pub fn commit(mut self, replace: Replace) -> SourceResult<()> {
        let files = staged_files(&self.staging)?;
        let remove = match replace {
            Replace::Nothing => Vec::new(),
            Replace::Everything => target_entries(&self.target)?,
            Replace::WrittenPartitions => {
                let mut dirs: Vec<String> = files.iter().filter_map(|f| f.rsplit_once('/').map(|(d, _)| d.to_string())).collect();
                dirs.sort();
                dirs.dedup();
                dirs
            }
        };
        let record = CommitRecord { files, remove };
        let text = serde_json::to_vec(&record).map_err(|e| SourceError::Write { path: self.staging.display().to_string(), message: e.to_string() })?;
        let pending = self.staging.join("_COMMIT.pending");
        let mut f = fs::File::create(&pending).map_err(|e| io_error(&pending, e))?;
        f.write_all(&text).and_then(|_| f.sync_all()).map_err(|e| io_error(&pending, e))?;
        fs::rename(&pending, self.staging.join(COMMIT_RECORD)).map_err(|e| io_error(&pending, e))?;
        sync_dir(&self.staging);
        self.committed = true;
        apply(&self.target, &self.staging, &record)
    }
}

impl Drop for StagedWrite {
    fn drop(&mut self) {
        if let Ok(mut active) = active_jobs().lock() {
            active.remove(&self.staging);
        }
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
            remove_if_empty(&self.target.join(STAGING_DIR));
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn remove_if_empty(dir: &Path) {
    let _ = fs::remove_dir(dir);
}

/// Files under `root`, relative to it, `/`-separated, skipping the commit record.
fn staged_files(root: &Path) -> SourceResult<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if !rel.starts_with("_COMMIT") {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The target's own entries (all but the staging area).
fn target_entries(target: &Path) -> SourceResult<Vec<String>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(target).map_err(|e| io_error(target, e))? {
        let name = entry.map_err(|e| io_error(target, e))?.file_name().to_string_lossy().to_string();
        if name != STAGING_DIR {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Replays a commit record: removes the old entries, moves the new files in,
/// marks success and drops the staging directory. Every step can be redone.
fn apply(target: &Path, staging: &Path, record: &CommitRecord) -> SourceResult<()> {
    for entry in &record.remove {
        let path = target.join(entry);
        let result = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        match result {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(&path, e)),
            _ => {}
        }
    }
    for file in &record.files {
        let from = staging.join(file);
        let to = target.join(file);
        if !from.exists() {
            continue; // moved before a crash
        }
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        fs::rename(&from, &to).map_err(|e| io_error(&from, e))?;
    }
    let success = target.join(SUCCESS_MARKER);
    fs::File::create(&success).map_err(|e| io_error(&success, e))?;
    sync_dir(target);
    let _ = fs::remove_dir_all(staging);
    remove_if_empty(&target.join(STAGING_DIR));
    Ok(())
}

/// Finishes or discards the jobs a crash left under `target`: a job with a
/// commit record is completed, one without is removed (unless it is
/// running in this process). With `discard_abandoned` false, only
/// committed jobs are finished (safe while other writers may be staging).
pub fn recover(target: &Path, discard_abandoned: bool) -> SourceResult<()> {
    let root = target.join(STAGING_DIR);
    let Ok(entries) = fs::read_dir(&root) else { return Ok(()) };
    let active = active_jobs().lock().map(|a| a.clone()).unwrap_or_default();
    for entry in entries.flatten() {
        let staging = entry.path();
        if active.contains(&staging) || !staging.is_dir() {
            continue;
        }
        let record = fs::read(staging.join(COMMIT_RECORD)).ok().and_then(|b| serde_json::from_slice::<CommitRecord>(&b).ok());
        match record {
            Some(record) => apply(target, &staging, &record)?,
            None if discard_abandoned => {
                let _ = fs::remove_dir_all(&staging);
            }
            None => {}
        }
    }
    remove_if_empty(&root);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path) -> Vec<String> {
        let mut all = staged_files(root).unwrap_or_default();
        all.retain(|f| !f.starts_with(STAGING_DIR));
        all
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("scs-commit-{name}-{}", uuid::Uuid::new_v4()));
        let _ = fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn overwrite_replaces_everything_only_at_commit() -> SourceResult<()> {
        let target = scratch("overwrite");
        fs::write(target.join("old.csv"), "1\n").map_err(|e| io_error(&target, e))?;
        let job = StagedWrite::begin(&target)?;
        fs::write(job.staged_path("p=1/new.csv")?, "2\n").map_err(|e| io_error(&target, e))?;
        assert_eq!(tree(&target), vec!["old.csv".to_string()]);
        job.commit(Replace::Everything)?;
        assert_eq!(tree(&target), vec!["_SUCCESS".to_string(), "p=1/new.csv".to_string()]);
        assert!(!target.join(STAGING_DIR).exists());
        Ok(())
    }

    #[test]
    fn an_abandoned_job_leaves_the_target_as_it_was() -> SourceResult<()> {
        let target = scratch("abandon");
        fs::write(target.join("old.csv"), "1\n").map_err(|e| io_error(&target, e))?;
        {
            let job = StagedWrite::begin(&target)?;
            fs::write(job.staged_path("new.csv")?, "2\n").map_err(|e| io_error(&target, e))?;
        }
        assert_eq!(tree(&target), vec!["old.csv".to_string()]);
        assert!(!target.join(STAGING_DIR).exists());
        Ok(())
    }

    #[test]
    fn a_crash_after_the_record_is_finished_by_recovery() -> SourceResult<()> {
        let target = scratch("recover");
        fs::write(target.join("old.csv"), "1\n").map_err(|e| io_error(&target, e))?;
        // A job killed after writing its record, before applying it.
        let staging = target.join(STAGING_DIR).join("job");
        fs::create_dir_all(staging.join("p=1")).map_err(|e| io_error(&target, e))?;
        fs::write(staging.join("p=1/new.csv"), "2\n").map_err(|e| io_error(&target, e))?;
        let record = CommitRecord { files: vec!["p=1/new.csv".into()], remove: vec!["old.csv".into()] };
        fs::write(staging.join(COMMIT_RECORD), serde_json::to_vec(&record).unwrap_or_default()).map_err(|e| io_error(&target, e))?;
        // And one killed while staging.
        let abandoned = target.join(STAGING_DIR).join("other");
        fs::create_dir_all(&abandoned).map_err(|e| io_error(&target, e))?;
        fs::write(abandoned.join("x.csv"), "3\n").map_err(|e| io_error(&target, e))?;
        recover(&target, true)?;
        assert_eq!(tree(&target), vec!["_SUCCESS".to_string(), "p=1/new.csv".to_string()]);
        assert!(!target.join(STAGING_DIR).exists());
        Ok(())
    }
}
