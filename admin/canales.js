// What Decap needs to write our content format, beside the config that
// generator/content/admin_config.py generates from it.
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var relation = CMS.getWidget("relation");

  // A channel's `request_types` is the word `all`, or a list of request type ids. The control is a
  // checkbox for the word and, when it is cleared, Decap's own relation control for the list. The
  // field's options are the relation widget's, plus `all`: the word.
  var AllOrList = window.createClass({
    // Decap re-renders a control only when this says so; the relation control inside needs the
    // search results (queryHits) that show the chosen ids, as Decap's own relation widget does.
    shouldComponentUpdate: function (next) {
      return (
        this.props.value !== next.value ||
        this.props.hasActiveStyle !== next.hasActiveStyle ||
        this.props.queryHits !== next.queryHits
      );
    },
    render: function () {
      var props = this.props;
      var word = props.field.get("all");
      var all = props.value === word;
      var box = h("input", {
        type: "checkbox",
        id: props.forID + "-all",
        checked: all,
        onChange: function (event) {
          // An empty value, refused by the form as a missing one until ids are chosen.
          props.onChange(event.target.checked ? word : "");
        },
      });
      var toggle = h(
        "label",
        { htmlFor: props.forID + "-all", style: { display: "block", padding: "8px 0", cursor: "pointer" } },
        box,
        " ",
        h("code", null, word)
      );
      if (all) {
        return h("div", { className: props.classNameWrapper }, toggle);
      }
      return h(
        "div",
        null,
        h("div", { style: { padding: "0 0 8px" } }, toggle),
        h(relation.control, Object.assign({}, props, { value: props.value === "" ? null : props.value }))
      );
    },
  });

  CMS.registerWidget("canales_all_or_list", AllOrList, relation.preview);

  // A field typed in and emptied again stays in Decap's data as "", and an optional text whose
  // fields are all empty as {}; written out, they would be refused by `check` with no way to
  // remove them from the form. No text of our format may be empty, and an empty optional record
  // or list means the same as none, so they are left out of what is saved. The top-level lists
  // (channels, schedules, levels, notices) are kept even when empty: they are required.
  var MAP = "@@__IMMUTABLE_MAP__@@";
  var LIST = "@@__IMMUTABLE_LIST__@@";

  function isEmpty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return value.trim() === "";
    return (value[MAP] === true || value[LIST] === true) && value.size === 0;
  }

  function prune(value) {
    if (value && (value[MAP] === true || value[LIST] === true)) {
      return value.map(prune).filter(function (item) {
        return !isEmpty(item);
      });
    }
    return value;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      if (entry.get("collection") !== "content") return undefined;
      return entry
        .get("data")
        .map(prune)
        .filter(function (value) {
          return (value && value[LIST] === true) || !isEmpty(value);
        });
    },
  });
})();
