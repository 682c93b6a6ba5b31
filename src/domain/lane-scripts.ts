import type { LaneKey } from './types';

/**
 * The default outreach script of each lane, shown from the case card's Script button
 * and overridable per lane in POLICY_FILE.
 */
// Each follows SPEC §2: identity check, reason for the call, the next step in plain words,
// an understanding (teach-back) check, an invitation to ask. Bracketed parts are filled in
// by the coordinator while speaking; the text stays plain so Slack shows it as written.

export const LANE_SCRIPTS: Record<LaneKey, string> = {
  referral: [
    'Hello, this is [your name] calling from [practice name]. May I speak with [patient first name]? Before we go on, could you please confirm your date of birth?',
    'I am calling because [provider] referred you to [specialist or service], and we want to make sure that visit gets booked.',
    'The next step is making the appointment. I can help set it up with you now, or give you their number and the times they have open.',
    'So I know I explained it clearly, could you tell me in your own words what happens next and when?',
    'What questions do you have about the referral or the visit? You can always call us back at [practice phone].',
  ].join('\n'),
  post_visit: [
    'Hello, this is [your name] from [practice name]. May I speak with [patient first name]? Could you confirm your date of birth for me?',
    'I am following up on your recent visit with [provider] to make sure the next steps from that visit are on track.',
    'Your next step is [for example a lab test, a follow-up visit or a new medicine], and I can help you arrange it today.',
    'Just so I know I explained it well, could you tell me what you will do next and by when?',
    'What questions do you have? If anything changes or you feel worse, please call us at [practice phone].',
  ].join('\n'),
  missed_appointment: [
    'Hello, this is [your name] from [practice name]. Am I speaking with [patient first name]? Could you confirm your date of birth?',
    'I am calling because we missed you at your appointment on [date] with [provider], and we want to make sure you still get the care you need.',
    'The next step is a new appointment, and I can find a time that works for you now. If something made it hard to come in, like a ride, work or cost, tell me and I will try to help.',
    'Could you repeat the new date and time back to me so I know we have it right?',
    'Is there anything you would like to ask me before we hang up?',
  ].join('\n'),
  discharge: [
    'Hello, this is [your name] calling from [provider]\'s office at [practice name]. May I speak with [patient first name]? To protect your privacy, please confirm your date of birth.',
    'We heard you were recently discharged from [hospital], and I am calling to see how you are doing and to help with your next steps at home.',
    'The next steps are a follow-up visit with [provider] in the next few days and going over your medicines together, so nothing is missed or taken twice.',
    'To make sure I explained it well, can you tell me which medicines you are taking now and when your follow-up visit is?',
    'What questions do you have? If you have new or worse symptoms, call us right away at [practice phone], or 911 in an emergency.',
  ].join('\n'),
  prior_auth: [
    'Hello, this is [your name] from [practice name]. May I speak with [patient first name]? Could you confirm your date of birth?',
    'I am calling with an update on the insurance approval, called a prior authorization, for the [test, procedure or medicine] that [provider] ordered.',
    'The next step is [waiting for the insurer\'s decision, sending them more information, or booking now that it is approved]. We will tell you as soon as we hear back.',
    'Could you tell me in your own words where things stand and what, if anything, you need to do?',
    'What questions do you have about the approval or the cost?',
  ].join('\n'),
  pre_visit: [
    'Hello, this is [your name] from [practice name]. Am I speaking with [patient first name]? Could you confirm your date of birth?',
    'I am calling to help you get ready for your appointment on [date and time] with [provider].',
    'Before the visit, please [fill in the forms, bring your insurance card and medicine list, follow the preparation instructions]. For a video visit, let us test the link together now.',
    'Could you tell me what you will do to get ready and how you will get to the visit or join it?',
    'Do you need an interpreter, a ride or help with anything else? What questions do you have?',
  ].join('\n'),
  preventive_recall: [
    'Hello, this is [your name] from [practice name]. May I speak with [patient first name]? Could you confirm your date of birth?',
    'I am calling because you are due for your [screening or preventive visit], which helps find problems early, when they are easiest to treat.',
    'The next step is booking it, and I can find a time that works for you now.',
    'Could you tell me back the date we chose and anything you need to do to prepare?',
    'What questions do you have about the [screening or visit]?',
  ].join('\n'),
  monitoring: [
    'Hello, this is [your name] from the care team at [practice name]. May I speak with [patient first name]? Could you confirm your date of birth?',
    'I am calling about your home monitoring program: [welcome to the program, or we have not received your readings lately].',
    'The next step is taking your [blood pressure, weight or sugar] readings [how often] with the device we gave you. If it is not working, I can help fix it or send a new one.',
    'Could you walk me through how you take and send a reading, so I know it is working for you?',
    'What questions do you have about the device or your readings?',
  ].join('\n'),
};
