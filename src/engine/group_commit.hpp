// Group commit of the run's state: tasks that need their changes durable await a
// flush; changes made while a save is in flight all go into the next single save.
// Saves (write, fsync, rename, fsync of the folder) run on a thread of their own, so
// they never block the io thread. Included by runner.cpp and its tests only (Asio).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "engine/state_writer.hpp"

namespace boost::asio {
class io_context;
}

namespace provision::engine {

class GroupCommit {
 public:
  // `io` runs the tasks (the writer's thread); both must outlive this object.
  GroupCommit(boost::asio::io_context& io, StateWriter& writer);
  // Waits for the save in flight, if any.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Returns once every change the writer had when it was called is on disk (at once if
  // there is none). Throws the save's Error(kState) if the save that held them failed;
  // the file then keeps its last good version, and a later flush tries again.
  boost::asio::awaitable<void> flush();

  // Saves done so far (successful or not), for tests and figures.
  std::size_t saves() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provision::engine
